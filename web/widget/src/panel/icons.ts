export const ICON_MINIMIZE = 'm6 9 6 6 6-6';
export const ICON_SEND = 'M22 2 11 13|M22 2 15 22l-4-9-9-4z';
export const ICON_CHECK = 'M22 11.1V12a10 10 0 1 1-5.9-9.1|M22 4 12 14l-3-3';
export const ICON_MAIL = 'M4 4h16a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z|m22 6-10 7L2 6';
export const ICON_END = 'M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4|m16 17 5-5-5-5|M21 12H9';
