import 'reflect-metadata';
import { runService } from '@lm/service-kit';
import { LicensingModule } from './infra/licensing.module';

void runService(LicensingModule);
