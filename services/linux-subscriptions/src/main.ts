import 'reflect-metadata';
import { runService } from '@lm/service-kit';
import { LinuxSubscriptionsService } from './linux-subscriptions.service';

void runService(LinuxSubscriptionsService);
