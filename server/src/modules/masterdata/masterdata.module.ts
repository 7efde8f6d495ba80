import { Module } from '@nestjs/common';
import { MasterDataController } from './masterdata.controller.js';
import { MasterDataRepository } from './masterdata.repository.js';

@Module({ controllers: [MasterDataController], providers: [MasterDataRepository], exports: [MasterDataRepository] })
export class MasterDataModule {}
