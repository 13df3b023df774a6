import { AppConfig } from '@appconda/config';

import { StorageDevice } from './device';
import { LocalDevice } from './local.device';
import { S3Device } from './s3.device';

/** Endpoints of the S3-compatible providers Appwrite 1.3 names, by region. */
const PROVIDER_ENDPOINTS: Record<string, (region: string) => string> = {
  dospaces: (region) => `https://${region}.digitaloceanspaces.com`,
  backblaze: (region) => `https://s3.${region}.backblazeb2.com`,
  linode: (region) => `https://${region}.linodeobjects.com`,
  wasabi: (region) => `https://s3.${region}.wasabisys.com`,
};

/** The uploads device chosen by `_APP_STORAGE_DEVICE`, with its `_APP_STORAGE_<DEVICE>_*` settings. */
export function createUploadsDevice(config: AppConfig): StorageDevice {
  const storage = config.get('storage');
  if (storage.device === 'local') return new LocalDevice(storage.paths.uploads);
  const remote = storage[storage.device];
  return new S3Device({
    type: storage.device,
    accessKey: remote.accessKey,
    secret: remote.secret,
    region: remote.region,
    bucket: remote.bucket,
    endpoint: PROVIDER_ENDPOINTS[storage.device]?.(remote.region),
    // Appwrite keeps uploads under the same folder name on every device.
    root: 'uploads',
  });
}
