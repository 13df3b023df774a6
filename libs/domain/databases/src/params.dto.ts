import { IsString } from 'class-validator';

/** Route params of the /v1/databases routes (kept apart so the model files can import each other). */
export class DatabaseParamDto {
  @IsString() databaseId: string;
}

export class CollectionParamDto extends DatabaseParamDto {
  @IsString() collectionId: string;
}

/** `:key` of an attribute or index. */
export class AttributeParamDto extends CollectionParamDto {
  @IsString() key: string;
}
