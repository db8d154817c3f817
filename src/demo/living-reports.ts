/**
 * What the people of the demo's scene write when they report someone: a few descriptions per
 * category, taken in turn, so that a case's reports read like different people's words.
 */
const descriptions: Record<string, readonly string[]> = {
  fraud: [
    'Took payment for a wearable and never delivered it',
    'Sold me a land parcel that does not exist',
    'Asked for a deposit for a build and vanished',
    'The “limited edition” skin he sold me is a recolour of a free one',
    'Charged me twice for the same boat and stopped answering',
    'Runs a fake raffle in the market square: nobody ever wins',
  ],
  harassment: [
    'Keeps messaging me after I asked them to stop',
    'Follows me from world to world and comments on everything I do',
    'Sent threats after I beat them in the race',
    'Waits at my shop every evening to insult my customers',
  ],
  spreading_rumors: [
    'Telling everyone the festival is cancelled and the organisers ran off with the money',
    'Posts that the harbour bank is closing tomorrow',
    'Says I cheated in the build contest: the judges have the logs that show I did not',
  ],
  hate_speech: [
    'Slurs in voice chat aimed at a group of new players',
    'Posted a banner attacking people for their religion in the plaza',
    'Mocks players for their accent every time they speak',
  ],
  identity_theft: [
    'Is using my display name and avatar to borrow money from my friends',
    'Logged in as my partner with a stolen passkey backup',
    'Copied my shop front and name to take my orders',
  ],
};

const fallback = ['Broke the rules of this world', 'Behaved badly towards other visitors'];

/** The `n`th description for `category`, in turn. */
export function reportDescription(category: string, n: number): string {
  const list = descriptions[category] ?? fallback;
  return list[n % list.length]!;
}
