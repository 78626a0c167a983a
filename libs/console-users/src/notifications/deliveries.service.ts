import { Injectable } from '@nestjs/common';
import { effectivePaging, haloPage, HaloPage } from '../http/halo-page';
import { DeliveryView, ListDeliveriesQueryDto, toDeliveryView } from './dto/delivery.dto';
import { OutboxRepository } from './outbox.repository';

/** Operators' view of the outbox: what was delivered, what is waiting, what failed and why. */
@Injectable()
export class DeliveriesService {
  constructor(private readonly outbox: OutboxRepository) {}

  async list(query: ListDeliveriesQueryDto): Promise<HaloPage<DeliveryView>> {
    const { page, size } = effectivePaging(query);
    const [rows, total] = await this.outbox.listRecent(page, size, query.status, query.recipient?.trim() || undefined);
    return haloPage(rows.map(toDeliveryView), page, size, total);
  }
}
