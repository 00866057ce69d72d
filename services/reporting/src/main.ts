import 'reflect-metadata';
import { runService } from '@lm/service-kit';
import { ReportingService } from './reporting.service';

void runService(ReportingService);
