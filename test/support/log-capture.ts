import type { LoggerService } from '@nestjs/common';

/** A Nest logger that keeps every line, at every level, for assertions. */
export class LogCapture implements LoggerService {
  readonly lines: { level: string; text: string }[] = [];

  private keep(level: string, message: unknown, rest: unknown[]) {
    this.lines.push({ level, text: [message, ...rest].map((part) => String(part)).join(' ') });
  }

  log = (message: unknown, ...rest: unknown[]) => this.keep('log', message, rest);
  error = (message: unknown, ...rest: unknown[]) => this.keep('error', message, rest);
  warn = (message: unknown, ...rest: unknown[]) => this.keep('warn', message, rest);
  debug = (message: unknown, ...rest: unknown[]) => this.keep('debug', message, rest);
  verbose = (message: unknown, ...rest: unknown[]) => this.keep('verbose', message, rest);
  fatal = (message: unknown, ...rest: unknown[]) => this.keep('fatal', message, rest);

  at(level: string): string[] {
    return this.lines.filter((line) => line.level === level).map((line) => line.text);
  }

  get text(): string {
    return this.lines.map((line) => line.text).join('\n');
  }
}
