import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { CascadeSettings } from './cascade-settings.service.js';

@Module({ imports: [ConfigModule], providers: [CascadeSettings], exports: [CascadeSettings] })
export class SettingsModule {}
