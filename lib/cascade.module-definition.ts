import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { CascadeModuleOptions } from './types/options.types.js';

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN: CASCADE_MODULE_OPTIONS } =
  new ConfigurableModuleBuilder<CascadeModuleOptions>()
    .setClassMethodName('forRoot')
    .setExtras({ isGlobal: false }, (definition, extras) => ({
      ...definition,
      global: extras.isGlobal,
    }))
    .build();
