import { Injectable } from '@nestjs/common';

/** Whether this node is in the load balancer rotation (admin healthcheck PUT/DELETE). */
@Injectable()
export class Rotation {
  private inRotation = true;

  get isInRotation(): boolean {
    return this.inRotation;
  }

  putIn(): void {
    this.inRotation = true;
  }

  takeOut(): void {
    this.inRotation = false;
  }
}
