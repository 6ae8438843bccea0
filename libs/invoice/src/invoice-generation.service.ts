import { Injectable } from '@nestjs/common';
import { KillBillError, parseLocalDate } from '@kb/kernel';
import { EmptyStatusError, InvalidRequestException, tenantRepository, Transactions } from '@kb/platform';
import { InvoiceRow } from './invoice.entity';
import { InvoiceDispatcher } from './invoice-dispatcher';

/** `POST /invoices` and `POST /invoices/group`: an API run of the dispatcher for one account. */
@Injectable()
export class InvoiceGenerationService {
  constructor(
    private readonly dispatcher: InvoiceDispatcher,
    private readonly transactions: Transactions,
  ) {}

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

  /**
   * `POST /invoices/group`: the run may split its invoice (Kill Bill's invoice plugins); with none
   * here it writes one, its own group (grpId = its id).
   */
  async createFutureInvoiceGroup(accountId: string, targetDate: string | undefined): Promise<{ groupId: string }> {
    const { invoiceId } = await this.createFutureInvoice(accountId, targetDate);
    const invoice = await tenantRepository(this.transactions.manager(), InvoiceRow).findOne({ where: { id: invoiceId } });
    return { groupId: invoice?.grpId ?? invoiceId };
  }
}

function invalid(text: string): never {
  throw new InvalidRequestException(`Invalid format: "${text}" for targetDate`);
}
