import { Route } from 'react-router';
import { InvitesPage } from '../invites/InvitesPage';
import { EditProfilePage } from '../profile/EditProfilePage';
import { FollowListPage } from '../profile/FollowListPage';
import { ProfilePage } from '../profile/ProfilePage';
import { SettingsPage } from '../settings/SettingsPage';
import { ResetPasswordPage } from './ResetPasswordPage';
import { SignInPage } from './SignInPage';
import { SignUpPage } from './SignUpPage';
import { VerifyEmailPage } from './VerifyEmailPage';

/** The pages of accounts, profiles, invites and settings, mounted inside the app's layout route. */
export const accountRoutes = (
  <>
    <Route path="sign-in" element={<SignInPage />} />
    <Route path="sign-up" element={<SignUpPage />} />
    <Route path="reset-password" element={<ResetPasswordPage />} />
    <Route path="verify-email" element={<VerifyEmailPage />} />
    <Route path="people/:username" element={<ProfilePage />} />
    <Route path="people/:username/followers" element={<FollowListPage key="followers" direction="followers" />} />
    <Route path="people/:username/following" element={<FollowListPage key="following" direction="following" />} />
    <Route path="invites" element={<InvitesPage />} />
    <Route path="settings" element={<SettingsPage />} />
    <Route path="settings/profile" element={<EditProfilePage />} />
  </>
);
