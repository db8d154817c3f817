import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LivingScene } from './living-scene.ts';

/** When the Plaza subscribes, and from when its receiver turns the next notification away (days before now). */
const subscribedDaysAgo = 30;
const hiccupDaysAgo = 20;

/**
 * The Plaza's webhook receiver while the history is made: a server in this process, on a port of
 * the loopback the system picks, that takes every notification but one (a 503: the delivery
 * worker tries it again the next day). Once the history is made the Plaza revokes its
 * subscription and the receiver closes: the subscription and its deliveries stay on the Plaza's
 * screen, and nothing is sent to an address that no longer answers (each attempt would be a
 * warning in the log, at this start and every later one).
 */
export class PlazaReceiver {
  #server: http.Server | undefined;
  /** How many notifications to come it turns away. */
  refuse = 0;
  /** The Plaza's subscription to it, once made. */
  subscription: string | undefined;

  /** At the history's end: delivers what is due, revokes the subscription, closes. */
  async retire(scene: Pick<LivingScene, 'ctx'>): Promise<void> {
    await deliverAll(scene);
    if (this.subscription !== undefined) await scene.ctx.subscriptions.revoke('plaza', this.subscription);
    this.subscription = undefined;
    await this.close();
  }

  async open(): Promise<string> {
    const server = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const refused = this.refuse > 0;
        if (refused) this.refuse--;
        response.writeHead(refused ? 503 : 204).end();
      });
    });
    this.#server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mdis/hooks`;
  }

  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/**
 * The Plaza subscribes to its people's sanctions and decisions; the delivery worker runs once a
 * day (a serving instance runs it every half second), so the subscription's deliveries are in
 * the store, one of them turned away once and delivered the next day.
 */
export function planWebhooks(scene: LivingScene, receiver: PlazaReceiver): void {
  scene.at(subscribedDaysAgo, async () => {
    const url = await receiver.open();
    const { subscription } = await scene.ctx.subscriptions.create(
      { world: 'plaza', url, events: ['sanction.imposed', 'sanction.lifted', 'case.decided'] },
      scene.platform('plaza').id,
    );
    receiver.subscription = subscription.id;
  });
  for (let daysAgo = subscribedDaysAgo - 1; daysAgo > 0; daysAgo--) {
    scene.at(
      daysAgo,
      async () => {
        if (daysAgo === hiccupDaysAgo) receiver.refuse = 1;
        await deliverAll(scene);
      },
      -20,
    );
  }
}

/** Delivers what is due, a batch at a time, until nothing is. */
export async function deliverAll(scene: Pick<LivingScene, 'ctx'>): Promise<void> {
  while ((await scene.ctx.deliveries.deliverDue()) > 0) {
    // each pass claims up to a batch
  }
}
