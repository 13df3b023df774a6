export * from './avatars-api.module';
export * from './avatars.module';
export * from './avatars.service';
export * from './avatars.dto';
export * from './avatars.options';
export { AvatarSet, avatarCodes } from './avatars.assets';
