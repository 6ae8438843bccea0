import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { from, type Observable, switchMap } from 'rxjs';
import { ClockStore } from './clock-store';

/**
 * Test mode only: every request reads the stored test clock first, so a move made through another
 * node is the time of this request even before that node's notification arrives.
 */
@Injectable()
export class ClockRefreshInterceptor implements NestInterceptor {
  constructor(private readonly store: ClockStore) {}

  intercept(_execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    return from(this.store.refresh()).pipe(switchMap(() => next.handle()));
  }
}
