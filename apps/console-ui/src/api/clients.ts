import {
  PersonalAccessTokenV1alpha1UcApi,
  RoleV1alpha1Api,
  UserV1alpha1Api,
  UserV1alpha1ConsoleApi,
} from '@halo-dev/api-client';
import { http } from './http';

// Single API classes, not the whole consoleApiClient, so the bundle keeps only what we call.
export const consoleUsers = new UserV1alpha1ConsoleApi(undefined, '', http);
export const coreUsers = new UserV1alpha1Api(undefined, '', http);
export const coreRoles = new RoleV1alpha1Api(undefined, '', http);
export const ucTokens = new PersonalAccessTokenV1alpha1UcApi(undefined, '', http);
