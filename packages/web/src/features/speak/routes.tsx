import { Route } from 'react-router';
import { SpeakPage } from './SpeakPage';

/** The guest speaker link (`/speak/:token`), mounted inside the app's layout route. Needs no account. */
export const speakRoutes = (
  <>
    <Route path="speak/:token" element={<SpeakPage />} />
  </>
);
