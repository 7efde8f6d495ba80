import { Module } from '@nestjs/common';
import { ScansController } from './scans.controller.js';
import { ScansRepository } from './scans.repository.js';

@Module({ controllers: [ScansController], providers: [ScansRepository] })
export class ScansModule {}
