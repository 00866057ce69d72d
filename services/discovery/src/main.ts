import 'reflect-metadata';
import { runService } from '@lm/service-kit';
import { DiscoveryModule } from './discovery.service';

void runService(DiscoveryModule);
