import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { afterCommit } from '../database/transaction-runner';
import { RoleGraphProvider } from '../rbac/role-graph.provider';
import { UserRecordCache } from '../users/user-record-cache';
import { PrincipalCache } from './principal-cache';
import { PrincipalInvalidation, PrincipalInvalidationBus } from './principal-invalidation-bus';

/** Injection token of the {@link PrincipalInvalidationBus} the module uses. */
export const CONSOLE_USERS_PRINCIPAL_INVALIDATION_BUS = Symbol('console-users:principal-invalidation-bus');

/**
 * The one path by which a change to credentials, enabled state or roles reaches the principal
 * cache: dropped here at once and again after the commit (a request that read the old rows in
 * between must not keep them), then published to the other instances.
 */
@Injectable()
export class PrincipalInvalidationService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('PrincipalInvalidation');
  private publishFailing = false;
  private unsubscribeRoles?: () => void;

  constructor(
    private readonly cache: PrincipalCache,
    private readonly roleGraph: RoleGraphProvider,
    private readonly records: UserRecordCache,
    @Inject(CONSOLE_USERS_PRINCIPAL_INVALIDATION_BUS) private readonly bus: PrincipalInvalidationBus,
  ) {}

  async onModuleInit(): Promise<void> {
    // Role writes on this instance already invalidate the role graph; that is where they are heard.
    this.unsubscribeRoles = this.roleGraph.onInvalidate(() => this.changed({ kind: 'roles' }));
    await this.bus.subscribe((message) => this.apply(message));
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribeRoles?.();
    await this.bus.close();
  }

  /** The user's password, enabled state, roles or tokens changed (inside `manager`'s transaction when given). */
  userChanged(userId: number, manager?: EntityManager): void {
    this.changed({ kind: 'user', userId }, manager);
  }

  /** One session ended (logout). */
  sessionEnded(sessionId: number, manager?: EntityManager): void {
    this.changed({ kind: 'session', sessionId }, manager);
  }

  private changed(message: PrincipalInvalidation, manager?: EntityManager): void {
    this.apply(message);
    afterCommit(manager, () => {
      this.apply(message);
      void this.publish(message);
    });
  }

  private apply(message: PrincipalInvalidation): void {
    switch (message.kind) {
      case 'user':
        this.cache.dropUser(message.userId);
        // Writes on this instance drop the records themselves; this is for other instances' writes.
        this.records.dropAll();
        break;
      case 'session':
        this.cache.dropSession(message.sessionId);
        break;
      case 'roles':
        this.roleGraph.drop();
        this.cache.dropAll();
        this.records.dropAll();
        break;
    }
  }

  private async publish(message: PrincipalInvalidation): Promise<void> {
    try {
      await this.bus.publish(message);
      if (this.publishFailing) {
        this.publishFailing = false;
        this.logger.log('Invalidations reach the other instances again');
      }
    } catch (error) {
      // Other instances catch up when their entries expire (the cache's lifetime); say so once.
      if (!this.publishFailing) {
        this.publishFailing = true;
        this.logger.warn(`Cannot publish a principal invalidation, other instances rely on the cache lifetime: ${(error as Error).message}`);
      }
    }
  }
}
