import { Inject } from '@nestjs/common';
import { Readable } from 'node:stream';

/** The uploads device (local volume or S3-compatible bucket). */
export const UPLOADS_DEVICE = Symbol('UPLOADS_DEVICE');
export const InjectUploadsDevice = (): ParameterDecorator => Inject(UPLOADS_DEVICE);

/** Optional antivirus scanner override (tests); defaults to clamd at `_APP_STORAGE_ANTIVIRUS_HOST/PORT`. */
export const ANTIVIRUS_SCANNER = Symbol('ANTIVIRUS_SCANNER');

export interface AntivirusScanner {
  scan(input: Readable): Promise<{ clean: boolean; signature?: string }>;
}
