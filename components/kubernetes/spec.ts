import type { FeatureSpec } from '../../shared/model/feature-spec.js';

/** An image repository without a tag: `ghcr.io/acme`, `registry.example.com:5000/team`, `docker.io/acme`. */
const REGISTRY = /^[a-z0-9]+([._-][a-z0-9]+)*(\.[a-z0-9]+([._-][a-z0-9]+)*)*(:[0-9]{1,5})?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

/** A Kubernetes object name (RFC 1123 label) from the project's name: `my_app` → `my-app`. */
export function kubernetesName(projectName: string): string {
  return projectName.replace(/_/g, '-').replace(/-+$/, '');
}

export const kubernetes: FeatureSpec = {
  name: 'kubernetes',
  kind: 'component',
  description:
    'Kubernetes manifests as a kustomize base with a production overlay: Deployments, Services, autoscalers, the migration Job, an Ingress or a Traefik IngressRoute; aegis deploy --target kubernetes ships to a cluster',
  requires: [],
  options: [
    {
      name: 'registry',
      description: 'The registry (and namespace) the image is pushed to and pulled from, e.g. ghcr.io/acme: the image is <registry>/<project>',
      values: [],
      default: '',
      text: { pattern: REGISTRY, label: 'an image registry and namespace, no tag (lowercase)', example: 'ghcr.io/acme' },
    },
  ],
  prepare: (values, project) => {
    const name = kubernetesName(project.name);
    const registry = values.registry ?? '';
    return {
      name,
      registry,
      /** The image the manifests name; the production overlay points it at the registry. */
      image: name,
      /** The image in the registry, empty until a registry is set. */
      registryImage: registry ? `${registry}/${name}` : '',
      namespace: name,
    };
  },
  pythonDependencies: [],
  pythonDevDependencies: [],
  contributes: {
    agents: { fragment: 'contrib/AGENTS.md.ejs' },
    make: { fragment: 'contrib/Makefile.ejs' },
    docker: { ignore: ['deploy/'] },
    readme: {
      commands: { lines: ['make k8s-render   # the production manifests, as kubectl apply -k sends them'] },
      section: { fragment: 'contrib/README.md.ejs' },
      rootLayout: ['deploy/kubernetes/      kustomize base and production overlay (make k8s-render)'],
    },
  },
};
