/* eslint-disable eslint-comments/disable-enable-pair */
/* eslint-disable eslint-comments/no-unlimited-disable */
/* eslint-disable */
import type * as AdminTypes from './admin.types.js';

export type ShopDetailsQueryVariables = AdminTypes.Exact<{ [key: string]: never; }>;


export type ShopDetailsQuery = { shop: (
    Pick<AdminTypes.Shop, 'name' | 'contactEmail' | 'ianaTimezone' | 'currencyCode'>
    & { shopAddress: Pick<AdminTypes.ShopAddress, 'company' | 'address1' | 'address2' | 'city' | 'province' | 'provinceCode' | 'zip' | 'country' | 'countryCodeV2'> }
  ) };

interface GeneratedQueryTypes {
  "#graphql\n  query ShopDetails {\n    shop {\n      name\n      contactEmail\n      ianaTimezone\n      currencyCode\n      shopAddress {\n        company\n        address1\n        address2\n        city\n        province\n        provinceCode\n        zip\n        country\n        countryCodeV2\n      }\n    }\n  }": {return: ShopDetailsQuery, variables: ShopDetailsQueryVariables},
}

interface GeneratedMutationTypes {
}
declare module '@shopify/admin-api-client' {
  type InputMaybe<T> = AdminTypes.InputMaybe<T>;
  interface AdminQueries extends GeneratedQueryTypes {}
  interface AdminMutations extends GeneratedMutationTypes {}
}
