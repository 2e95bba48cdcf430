export const packageName = "@nmrblox/downloader";
