import 'reflect-metadata';
import { runService } from '@lm/service-kit';
import { LicensingModule } from './licensing.service';

void runService(LicensingModule);
