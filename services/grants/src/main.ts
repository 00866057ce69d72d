import 'reflect-metadata';
import { runService } from '@lm/service-kit';
import { GrantsService } from './grants.service';

void runService(GrantsService);
