import 'reflect-metadata';
import { bootstrapService } from '@lm/service-kit';
import { DiscoveryModule } from './infra/discovery.module';
import { SERVICE_NAME } from './infra/discovery-infrastructure';

void bootstrapService(SERVICE_NAME, DiscoveryModule);
