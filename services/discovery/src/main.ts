import 'reflect-metadata';
import { runService } from '@lm/service-kit';
import { DiscoveryService } from './discovery.service';

void runService(DiscoveryService);
