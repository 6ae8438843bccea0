import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { InFlightRequests, InvalidRequestException, ROOT_LOGGER, type RootLogger, ServerLogger } from '@kb/platform';
import type { ValidationError } from 'class-validator';
import { AppModule, type AppOptions } from './app.module';
import { buildOpenApiDocument } from './openapi';

/** Builds the HTTP application (not listening yet): logs, body parsers, validation, Swagger UI. */
export async function createApplication(options: AppOptions): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(options), { bufferLogs: true, bodyParser: true, rawBody: true });
  app.useLogger(new ServerLogger(app.get<symbol, RootLogger>(ROOT_LOGGER)));
  // Nest would flush what it buffered while building the app only at listen(); tests never listen.
  app.flushLogs();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  // Kill Bill sends no ETag; express would hash every response body to make one.
  app.set('etag', false);
  // First of all middleware: a shutdown must know every request that started.
  app.use(app.get(InFlightRequests).middleware);
  app.useBodyParser('text', { type: ['text/plain', 'text/html', 'text/xml', 'application/xml'], limit: '20mb' });
  app.useGlobalPipes(
    new ValidationPipe({
      transform: true,
      forbidUnknownValues: false,
      exceptionFactory: (errors) => new InvalidRequestException(describeValidationErrors(errors)),
    }),
  );
  SwaggerModule.setup('api', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'swagger.json' });
  return app;
}

function describeValidationErrors(errors: ValidationError[], prefix = ''): string {
  return errors
    .flatMap((error) => {
      const field = `${prefix}${error.property}`;
      const own = Object.values(error.constraints ?? {}).map((message) => message.replace(error.property, field));
      const nested = error.children?.length ? [describeValidationErrors(error.children, `${field}.`)] : [];
      return [...own, ...nested];
    })
    .join('; ');
}
