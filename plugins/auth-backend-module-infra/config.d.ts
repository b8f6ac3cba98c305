export interface Config {
  auth?: {
    providers?: {
      /**
       * Development only: sign in as one of these demo users (entity refs) without an identity
       * provider. The backend refuses it unless NODE_ENV=development.
       */
      demo?: {
        /**
         * The users offered on the sign-in page.
         * @visibility frontend
         */
        users: string[];
      };
    };
  };
}
