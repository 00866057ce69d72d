import 'reflect-metadata';
import { bootstrapService } from '@lm/service-kit';
import { LicensingModule } from './infra/licensing.module';
import { SERVICE_NAME } from './infra/licensing-infrastructure';

void bootstrapService(SERVICE_NAME, LicensingModule);
