import 'reflect-metadata';
import { runService } from '@lm/service-kit';
import { ConversionService } from './conversion.service';

void runService(ConversionService);
