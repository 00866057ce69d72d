import 'reflect-metadata';
import { bootstrapService } from '@lm/service-kit';
import { GrantsModule } from './infra/grants.module';
import { SERVICE_NAME } from './infra/grants-infrastructure';

void bootstrapService(SERVICE_NAME, GrantsModule);
