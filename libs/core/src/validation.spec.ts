import { IsEmail, IsOptional, IsString, MaxLength } from 'class-validator';

import { AppException } from './app.exception';
import { AppValidationPipe, IsUid, ToArray, ToBoolean, ToInt } from './validation';

class CreateThingDto {
  @IsUid()
  thingId: string;

  @IsEmail({}, { message: 'Value must be a valid email address' })
  email: string;

  @IsOptional()
  @IsString()
  @MaxLength(128)
  name?: string;

  @IsOptional()
  @ToBoolean()
  enabled?: boolean;

  @IsOptional()
  @ToInt()
  limit?: number;

  @IsOptional()
  @ToArray()
  @IsString({ each: true })
  queries?: string[];
}

const sut = new AppValidationPipe();
const run = (value: unknown) => sut.transform(value, { type: 'body', metatype: CreateThingDto });

async function failure(value: unknown): Promise<AppException> {
  try {
    await run(value);
  } catch (error) {
    return error as AppException;
  }
  throw new Error('expected a validation failure');
}

describe('AppValidationPipe', () => {
  it('reports a missing required param the way Appwrite does', async () => {
    const error = await failure({ email: 'a@b.co' });
    expect(error).toBeInstanceOf(AppException);
    expect(error.type).toBe('general_argument_invalid');
    expect(error.code).toBe(400);
    expect(error.message).toBe('Param "thingId" is not optional.');
  });

  it('reports an invalid param with its rule', async () => {
    const error = await failure({ thingId: '_bad', email: 'a@b.co' });
    expect(error.message).toMatch(/^Invalid thingId: Parameter must contain at most 36 chars/);
    expect((await failure({ thingId: 'ok', email: 'nope' })).message).toBe('Invalid email: Value must be a valid email address');
  });

  it('coerces strings from query strings and multipart fields and drops unknown params', async () => {
    const dto = (await run({ thingId: 'unique()', email: 'a@b.co', enabled: 'false', limit: '25', queries: { 1: 'b', 0: 'a' }, extra: 'x' })) as CreateThingDto;
    expect(dto).toEqual({ thingId: 'unique()', email: 'a@b.co', enabled: false, limit: 25, queries: ['a', 'b'] });
  });
});
