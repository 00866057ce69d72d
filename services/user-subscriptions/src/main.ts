import 'reflect-metadata';
import { runService } from '@lm/service-kit';
import { UserSubscriptionsService } from './user-subscriptions.service';

void runService(UserSubscriptionsService);
