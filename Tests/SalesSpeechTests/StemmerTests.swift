import SalesSpeech
import Testing

/// The stemmers against the published algorithms' outputs (snowballstem.org's Russian examples,
/// Porter's 1980 paper), worked through by hand.
@Suite struct StemmerTests {
    @Test func russianFormsOfAWordShareTheirStem() {
        // стоимость: RV = «имость»; «ь» is a noun ending, «ост» is not inside R2 = «т» → «стоимост».
        #expect(Words.stems("стоимость стоимости стоимостью") == ["стоимост", "стоимост", "стоимост"])
        #expect(Words.stems("книги книгами книгой") == ["книг", "книг", "книг"])
        // Verb endings after «а»/«я» keep the vowel; reflexive «ся» goes first.
        #expect(Words.stems("бежать нравится говорили") == ["бежа", "нрав", "говор"])
        // Adjectives; «ё» is read as «е»; capitals fold.
        #expect(Words.stems("Красивая КРАСИВЫЕ ещё") == ["красив", "красив", "ещ"])
        // Derivational «ость» inside R2, then «нн» undoubled.
        #expect(Words.stems("активность") == ["активн"])
    }

    @Test func englishFollowsPortersExamples() {
        let words =
            "caresses ponies ties caress cats feed agreed plastered motoring sing conflated troubled sized hopping "
            + "tanned falling hissing fizzed failing filing happy relational conditional rational hopeful goodness "
            + "revival allowance adjustment generalizations oscillators"
        let stems =
            "caress poni ti caress cat feed agre plaster motor sing conflat troubl size hop tan fall hiss fizz fail "
            + "file happi relat condit ration hope good reviv allow adjust gener oscil"
        #expect(Words.stems(words) == stems.split(separator: " ").map(String.init))
        #expect(Words.stems("price prices priced pricing") == ["price", "price", "price", "price"])
    }

    @Test func wordsSplitOnAnythingButLettersAndDigits() {
        #expect(Words.stems("какой-то don't 24/7") == ["как", "то", "don", "t", "24", "7"])
    }
}
