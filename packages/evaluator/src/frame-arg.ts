// The scores modules import `requireFrame` from here; the one implementation is numerframe's.
export { requireFrame } from "@nmrblox/numerframe";
