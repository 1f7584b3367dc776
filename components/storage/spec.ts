import type { FeatureSpec } from '../../shared/model/feature-spec.js';
import type { SettingsInput } from '../../shared/model/slots/settings.js';

const s3 = ({ options }: SettingsInput): boolean => options.backend === 's3';

/** S3 bucket names take lowercase letters, digits, dots and hyphens: the project's name with "-" for "_". */
const bucket = ({ project }: SettingsInput): string => project.name.replace(/_/g, '-');

export const storage: FeatureSpec = {
  name: 'storage',
  kind: 'component',
  description:
    'Object storage: a local folder or any S3-compatible service; upload, download, list, delete and signed URLs, in Python and over HTTP',
  requires: [],
  options: [
    {
      name: 'backend',
      description: 'Where objects live: a local folder, or an S3-compatible service (AWS S3, MinIO, R2, …)',
      values: ['local', 's3'],
      default: 'local',
    },
  ],
  pythonDependencies: ['python-multipart', { name: 'boto3', when: { backend: 's3' } }],
  pythonDevDependencies: [
    { name: 'boto3-stubs', when: { backend: 's3' } },
    { name: 'moto', when: { backend: 's3' } },
  ],
  contributes: {
    settings: {
      imports: [{ module: 'pydantic', names: ['SecretStr'] }],
      sections: [
        {
          heading: {
            config: 'Storage',
            dotenv: 'Storage: objects, upload limits and signed URLs (STORAGE_SIGNING_KEY unset: a random key per process)',
          },
          entries: [
            {
              env: 'STORAGE_BACKEND',
              when: s3,
              field: {
                name: 'storage_backend',
                type: 'Literal["local", "s3"]',
                default: '"s3"',
                imports: [{ module: 'typing', names: ['Literal'] }],
              },
              dotenv: { value: 's3', above: ['local keeps objects in STORAGE_LOCAL_PATH: no S3 service needed'] },
              readme: { default: '`s3`', notes: '`local` or `s3`' },
            },
            {
              env: 'STORAGE_LOCAL_PATH',
              field: { name: 'storage_local_path', type: 'Path', default: 'Path("data/storage")', imports: [{ module: 'pathlib', names: ['Path'] }] },
              dotenv: { value: 'data/storage' },
              readme: { default: '`data/storage`', notes: 'the local backend\'s folder' },
            },
            {
              env: 'STORAGE_MAX_UPLOAD_BYTES',
              field: { name: 'storage_max_upload_bytes', type: 'int', default: 'Field(default=10 * 1024 * 1024, gt=0)' },
              dotenv: { value: '10485760' },
              readme: { default: '`10485760` (10 MiB)', notes: 'larger uploads are refused (413)' },
            },
            {
              env: 'STORAGE_ALLOWED_CONTENT_TYPES',
              field: {
                name: 'storage_allowed_content_types',
                type: 'list[str]',
                default: 'Field(\n        default_factory=lambda: ["image/*", "application/pdf", "text/plain", "text/csv"]\n    )',
              },
              dotenv: { value: '["image/*","application/pdf","text/plain","text/csv"]', above: ['A JSON list; "type/*" allows a whole type, ["*/*"] everything'] },
              readme: { default: '`["image/*","application/pdf","text/plain","text/csv"]`', notes: 'others are refused (415)' },
            },
            {
              env: 'STORAGE_SIGNING_KEY',
              field: { name: 'storage_signing_key', type: 'SecretStr | None', default: 'None' },
              dotenv: { value: '', commented: true, above: ['python -c "import secrets; print(secrets.token_urlsafe(48))"'] },
              readme: { default: 'a random key per process', notes: "signs the local backend's URLs; set it when several processes serve them" },
            },
            {
              env: 'STORAGE_URL_EXPIRES_SECONDS',
              field: { name: 'storage_url_expires_seconds', type: 'int', default: 'Field(default=3600, gt=0, le=604800)' },
              dotenv: { value: '3600' },
              readme: { default: '`3600`', notes: 'default lifetime of a signed URL (at most 7 days)' },
            },
            {
              env: 'STORAGE_S3_BUCKET',
              when: s3,
              field: { name: 'storage_s3_bucket', type: 'str', text: bucket },
              dotenv: (input) => ({ value: bucket(input) }),
              readme: (input) => ({ default: `\`${bucket(input)}\``, notes: 'the bucket must exist' }),
            },
            {
              env: 'STORAGE_S3_ENDPOINT_URL',
              when: s3,
              field: { name: 'storage_s3_endpoint_url', type: 'str | None', default: 'None', comment: 'unset: AWS' },
              dotenv: { value: 'http://127.0.0.1:9000', commented: true, above: ['Any S3-compatible service (MinIO, R2, …); unset: AWS S3'] },
              readme: { default: 'AWS S3', notes: 'e.g. `http://127.0.0.1:9000` for MinIO' },
            },
            {
              env: 'STORAGE_S3_REGION',
              when: s3,
              field: { name: 'storage_s3_region', type: 'str', default: '"us-east-1"' },
              dotenv: { value: 'us-east-1' },
              readme: { default: '`us-east-1`' },
            },
            {
              env: 'STORAGE_S3_ACCESS_KEY_ID',
              when: s3,
              field: { name: 'storage_s3_access_key_id', type: 'str | None', default: 'None' },
              dotenv: { value: '', commented: true, above: ["Unset: boto3's own lookup (AWS_* variables, ~/.aws, an instance role)"] },
              readme: { default: "boto3's lookup" },
            },
            {
              env: 'STORAGE_S3_SECRET_ACCESS_KEY',
              when: s3,
              field: { name: 'storage_s3_secret_access_key', type: 'SecretStr | None', default: 'None' },
              dotenv: { value: '', commented: true },
              readme: { joinPrevious: true },
            },
            {
              env: 'STORAGE_S3_PATH_STYLE',
              when: s3,
              field: { name: 'storage_s3_path_style', type: 'bool', default: 'False', comment: 'MinIO and most self-hosted services need it' },
              dotenv: { value: 'false' },
              readme: { default: '`false`', notes: '`true` for MinIO and most self-hosted services' },
            },
          ],
        },
      ],
    },
    health: [{ name: 'storage', module: 'app.components.storage.health', fn: 'check_storage', summary: 'the storage backend: folder writable, or bucket reachable' }],
    routers: [{ module: 'app.components.storage.router', alias: 'storage_router' }],
    pytest: { plugins: ['tests.storage_support'] },
    readme: {
      section: { fragment: 'contrib/README.md.ejs' },
      layout: { lines: ['  components/storage/   object storage: local folder or S3, its routes and health check'] },
    },
  },
  prepare: (values) => ({ s3: values.backend === 's3', local: values.backend !== 's3' }),
};
