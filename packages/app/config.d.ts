export interface Config {
  auth?: {
    providers?: {
      /** Development sign-in as demo users (served by @infra-hub/plugin-auth-backend-module-infra). */
      demo?: {
        /**
         * The users offered on the development sign-in page.
         * @visibility frontend
         */
        users: string[];
      };
    };
  };
}
