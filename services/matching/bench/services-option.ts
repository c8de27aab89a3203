import { allServices } from '../../index';

/**
 * The services a benchmark runs on the local platform: `--services matching` (comma-separated)
 * runs only those, measuring matching's own pace without the other services' consumers (each
 * projects every Person.* and Pod.* event) competing for the same cores and DynamoDB Local.
 */
export const servicesNamed = (option: string | undefined) => {
  if (!option) return allServices;
  const names = option.split(',').map((name) => name.trim());
  const services = allServices.filter((service) => names.includes(service.name));
  if (services.length !== names.length)
    throw new Error(`--services names an unknown service; there are ${allServices.map((s) => s.name).join(', ')}`);
  return services;
};
