import { Injectable } from '@nestjs/common';
import { KillBillError, parseLocalDate } from '@kb/kernel';
import { EmptyStatusError, InvalidRequestException } from '@kb/platform';
import { InvoiceDispatcher } from './invoice-dispatcher';

/** `POST /invoices` and `POST /invoices/group`: an API run of the dispatcher for one account. */
@Injectable()
export class InvoiceGenerationService {
  constructor(private readonly dispatcher: InvoiceDispatcher) {}

  /** The invoice the run wrote; nothing to bill is Kill Bill's bare 404. */
  async createFutureInvoice(accountId: string, targetDate: string | undefined): Promise<{ invoiceId: string }> {
    const target = targetDate === undefined || targetDate === '' ? null : (parseLocalDate(targetDate) ?? invalid(targetDate));
    try {
      const { invoiceId } = await this.dispatcher.run(accountId, target, 'API');
      if (invoiceId === null) throw new EmptyStatusError(404);
      return { invoiceId };
    } catch (error) {
      if (error instanceof KillBillError && error.codeName === 'INVOICE_NOTHING_TO_DO') throw new EmptyStatusError(404);
      throw error;
    }
  }
}

function invalid(text: string): never {
  throw new InvalidRequestException(`Invalid format: "${text}" for targetDate`);
}
