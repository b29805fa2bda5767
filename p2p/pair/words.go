package pair

// wordlist holds the 256 code words: short, distinct, easy to say and to
// spell after hearing them, sorted. A random byte picks a word; codes are
// compared by their text, so the list can only grow compatibly by being
// replaced as a whole (all words of old codes must stay).
const wordlist = `
acorn amber anchor apple arrow autumn badger bagel banana banjo basil basket beach beaver
berry bingo bison blanket blossom bottle brave bread breeze bridge bucket butter button
cabin cactus camel camera canal candle candy canyon carpet carrot castle cedar cereal
chair cheese cherry circus clever cloud cobra cocoa coffee comet compass cookie coral
cozy crane crayon crystal daisy desert dolphin donkey dragon drum eagle early elbow ember
engine falcon fancy feather ferret flag flute forest fossil frost fuzzy galaxy garage
garden garlic gecko gentle giant ginger glacier goblin golden goose guitar hammer happy
harbor helmet hippo hockey honey horse humble igloo island jacket jigsaw jolly jungle
karate kayak kettle kitten koala ladder lagoon lake lantern laptop lemon lemur lizard
llama lobster lotus lucky magnet mammoth mango maple marble meadow mellow melon meteor
mirror monkey moon mouse muffin nectar needle ninja noodle ocean olive onion orange orbit
otter oyster paddle panda parrot pasta peach peanut pebble pelican pencil penguin pepper
piano pickle pillow pirate pizza planet plum pocket polite poncho pony potato prairie
proud puddle pumpkin puppy purple puzzle quiet quilt rabbit radish rainbow raisin rapid
raven ribbon river robin rocket rusty saddle safari salad salmon scarlet scooter shark
sheep shiny shovel silver sketch sleepy sloth snail sock spider spoon storm sugar summer
sunny sunset swan swift table tango teapot thunder ticket tidy tiger tiny toast tomato
topaz tractor trumpet tulip tuna tunnel turtle umbrella unicorn valley velvet violet
violin waffle wagon wallet walnut walrus whale whistle willow window windy winter wolf
yellow yogurt zebra zigzag zipper
`
