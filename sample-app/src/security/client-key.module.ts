import { Module } from '@nestjs/common';
import { ClientKey } from './client-key.service.js';

/** The app's own key, for the guards of the app's routes and for the queue dashboard's. */
@Module({ providers: [ClientKey], exports: [ClientKey] })
export class ClientKeyModule {}
