// Baseline child: Nest 12 on Fastify answering `{ok:1}` from one controller, built from the same
// @nestjs/* and Fastify packages the server uses: the ceiling for any Nest route here.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';

@Controller()
class HelloController {
  @Get('hello')
  hello(): { ok: number } {
    return { ok: 1 };
  }
}

@Module({ controllers: [HelloController] })
class HelloModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(HelloModule, new FastifyAdapter(), { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  process.send!({ port: typeof address === 'object' && address ? address.port : 0 });
  process.on('message', () => void app.close().then(() => process.exit(0)));
}

void main();
