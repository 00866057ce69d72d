import 'reflect-metadata';
import { runService } from '@lm/service-kit';
import { DiscoveryModule } from './infra/discovery.module';

void runService(DiscoveryModule);
