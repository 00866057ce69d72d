import 'reflect-metadata';
import { runService } from '@lm/service-kit';
import { LicensingService } from './licensing.service';

void runService(LicensingService);
