import 'reflect-metadata';
import { bootstrapService } from '@lm/service-kit';
import { GrantsServiceModule } from './grants.service';
import { SERVICE_NAME } from './infra/grants-infrastructure';

void bootstrapService(SERVICE_NAME, GrantsServiceModule);
