export const packageName = "@nmrblox/submitter";
