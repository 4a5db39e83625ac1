import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { CascadeModule } from 'nestjs-smsbat-cascade';
import { CascadeSettings } from './cascade-settings.service.js';
import { MessagesController } from './messages/messages.controller.js';

@Module({ imports: [ConfigModule], providers: [CascadeSettings], exports: [CascadeSettings] })
class SettingsModule {}

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true }),
    CascadeModule.forRootAsync({ imports: [SettingsModule], useExisting: CascadeSettings }),
  ],
  controllers: [MessagesController],
})
export class AppModule {}
