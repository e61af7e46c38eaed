"""The first crisis list: phrases and patterns that show a writer help at once and alert the team.

Written for a peer-support community of people in recovery. The groups follow the Columbia Suicide Severity
Rating Scale's distinctions (wish to be dead; active thoughts; method; intent; plan and preparation;
behaviour), plus self-harm, overdose intent and farewells, which in this community are as telling. Nothing
here is a single word: "die", "suicide" or "overdose" alone are how people talk about training, statistics,
harm reduction and their own history, and an alarm on every one of those would drown the real ones.

Entries are matched against normalised text (lower case; apostrophes dropped, so "I'm" reads "im" and
"won't" reads "wont"; other punctuation and spacing reduced to single spaces), as whole words. Patterns
use negative look-aheads for the everyday uses that share the words ("take my life back", "cut myself
shaving", "goodbye everyone, see you Thursday"). A false alarm costs a member a private, kind message and a
moderator a look; a miss can cost far more, so where a sentence is truly ambiguous the list errs on
triggering. tests/moderation/crisis_corpus.py holds the sentences the list is measured against.

This runs once: staff edit the list afterwards at /moderation/watched-words/, and a later deploy never
overwrites their changes (which is why this is a migration and not a post_migrate hook).
"""

from django.db import migrations
from django.utils import timezone

# What people stockpile or take too much of.
_DRUGS = (
    r"(?:pills|tablets|meds|medication|medicine|sleeping pills|sleeping tablets|painkillers|antidepressants"
    r"|insulin|opioids|oxys?|xanax|benzos|paracetamol|tylenol|acetaminophen|aspirin|ibuprofen|lithium)"
)

# Look-ahead that keeps an intent phrase from firing on a following everyday object.
_NOT_HAIR = r"(?! (?:my|her|his|their|the|your) hair)"

PASSIVE = "Crisis: wish to be dead (passive thoughts)"
ACTIVE = "Crisis: thoughts of suicide (active)"
METHOD = "Crisis: asking about a method"
INTENT = "Crisis: intent"
PLAN = "Crisis: plan, means or preparation"
BEHAVIOUR = "Crisis: an act in progress"
SELF_HARM = "Crisis: self-harm"
OVERDOSE = "Crisis: overdose intent"
FAREWELL = "Crisis: farewell or settling affairs"

PHRASE = "phrase"
REGEX = "regex"

CRISIS_LIST = [
    # --- Wish to be dead (passive ideation) -------------------------------------------------------------
    (REGEX, r"(?:want|wanted|wanting|wish|wishing|part of me wants) to die" + _NOT_HAIR + r"|wanna die" + _NOT_HAIR, PASSIVE),
    (
        REGEX,
        r"wish(?:ing)? (?:that )?i (?:was|were|could be|would be|could just be) dead"
        r"|wish(?:ing)? (?:that )?i (?:could|would) (?:just )?die"
        r"|wish(?:ing)? (?:that )?i (?:wasnt|werent|was not|were not) alive",
        PASSIVE,
    ),
    (
        REGEX,
        r"(?:go to sleep|fall asleep|sleep|close my eyes) and (?:never|not|just not) wake up",
        PASSIVE,
    ),
    (REGEX, r"(?:hope|hoping|pray|praying) (?:that )?(?:i )?(?:just )?(?:dont|never|do not|wont|will not) wake up", PASSIVE),
    (REGEX, r"(?:dont|do not|no longer|dont really) want to (?:be alive|exist|stay alive)", PASSIVE),
    (
        REGEX,
        r"(?:dont|do not|no longer|dont really) want to (?:live|be here|go on|keep going|carry on|keep living)"
        r"(?: anymore| any more| any longer| like this|$)",
        PASSIVE,
    ),
    (
        REGEX,
        r"(?:tired|sick|exhausted) of (?:living|being alive|existing)"
        r"(?! (?:in|out|with|at|on|under|near|off|here|there|from|paycheck)(?!\w))"
        # "Tired of life admin" is not; "tired of life" at the end, or going on about oneself, is.
        r"|(?:tired|sick|exhausted) of life(?=$| (?:and|i|im|ive|honestly|tbh|now|already|itself|so|but|anymore"
        r"|really|to)(?!\w))",
        PASSIVE,
    ),
    (PHRASE, "better off dead", PASSIVE),
    (REGEX, r"no reason (?:left )?to (?:live|go on|keep going|keep living|be alive|stay alive)", PASSIVE),
    (REGEX, r"nothing (?:left )?(?:to live for|worth living for)", PASSIVE),
    (REGEX, r"(?:isnt|is not|aint|no longer|not) worth living", PASSIVE),
    (
        REGEX,
        r"(?:whats the|no|what is the) (?:point|purpose|sense) (?:of |in )?(?:living|being alive|staying alive"
        r"|going on living|carrying on|existing)(?! (?:in|with|at|near|here|there|on|off|without|like)(?!\w))",
        PASSIVE,
    ),
    (PHRASE, "better off without me", PASSIVE),
    (
        REGEX,
        r"(?:better|happier|easier) (?:off )?(?:for everyone |for everybody |for them |for all )?(?:if|when) (?:i|im)"
        r" (?:just )?(?:was |were |am )?(?:gone|dead|not here|not around|no longer here|no longer around|wasnt here"
        r"|wasnt around|werent here|wasnt alive|werent alive|was not alive|never born|disappeared|died|killed myself)",
        PASSIVE,
    ),
    # --- Active thoughts ----------------------------------------------------------------------------------
    (REGEX, r"kill(?:s|ing|ed)? (?:my ?self|meself)", ACTIVE),
    (REGEX, r"unaliv(?:e|ing) (?:my ?self|meself)", ACTIVE),
    (
        REGEX,
        r"(?:i|ima|imma|ill|i will|i might|i could|im going to|im gonna|going to|gonna|want to|wanna|about to"
        r"|finna|ready to|might|just) kms",
        ACTIVE,
    ),
    (REGEX, r"end(?:ing|ed)? it all(?! (?:on a|with a)(?!\w))", ACTIVE),
    (REGEX, r"end(?:ing|ed)? (?:my own|my) life(?! savings)", ACTIVE),
    (
        REGEX,
        r"(?:take|taking|took) my (?:own )?life"
        r"(?! (?:back|in|into|to|forward|seriously|more|for|and|one|day|step|over|apart)(?!\w))",
        ACTIVE,
    ),
    (
        REGEX,
        r"(?:thinking|thought|thoughts|think) (?:about|of) (?:ending it all|ending my life|taking my (?:own )?life"
        r"|not being here anymore|not being alive|not waking up|dying(?! (?:my|her|his|the|your) hair"
        r"| (?:of|from) (?:laughter|laughing|embarrassment|boredom|curiosity)))",
        ACTIVE,
    ),
    (
        REGEX,
        r"(?:thinking|thought|thoughts|think|considering|contemplating|planning|plan|want|wanted|going|gonna"
        r"|tempted|try|tried|trying|attempt|attempted|commit|committing) (?:about |of |to )?(?:commit(?:ting)? )?"
        r"suicide(?! (?:prevention|awareness|rates?|statistics|stats|research|training|hotline|helpline|line"
        r"|lifeline|crisis|risk|watch|squad|bomb|bomber|bombing|survivors?|loss|in|among|is|was)(?!\w))",
        ACTIVE,
    ),
    (REGEX, r"suicide (?:is|seems|feels) (?:like )?(?:the only|my only|the best|my best|the answer|my answer)", ACTIVE),
    (
        REGEX,
        r"(?:im|i am|ive been|i have been|i feel|i felt|i was|been|feeling|felt|getting|become|becoming|still)"
        r"(?: (?:so|very|really|pretty|quite|kind of|kinda|a bit|a little|extremely|incredibly|increasingly"
        r"|more|super|always|often|constantly|still|just|again|actively|passively|seriously|feeling)){0,3}"
        r" suicidal(?! (?:friend|son|daughter|partner|patient|patients|people|person|client|clients|teen|teens"
        r"|child|children|kid|kids|brother|sister|mother|father|mom|mum|dad|relative)(?!\w))",
        ACTIVE,
    ),
    (
        REGEX,
        r"(?:having|have|had|get|getting|experiencing|my|these) suicidal (?:thoughts|feelings|urges|ideation|ideas)",
        ACTIVE,
    ),
    (
        REGEX,
        r"the only way out (?:is|is to|would be) (?:to die|death|dying|suicide|ending it|killing myself)",
        ACTIVE,
    ),
    (
        REGEX,
        r"(?:feel like|feels like|thinking about|thinking of|thought about|considering|contemplating|want to|wanna"
        r"|going to|gonna|close to|about to) end(?:ing)? it(?: all| tonight| today| now| soon| for good|$)",
        ACTIVE,
    ),
    (
        REGEX,
        r"(?:no|only|cant see a|cant see any|dont see a|dont see any|see no) way out (?:except|but|other than"
        r"|apart from|besides) (?:dying|death|to die|suicide|killing myself|ending it|ending my life)",
        ACTIVE,
    ),
    (
        REGEX,
        r"(?:want|wanna|need) (?:it all|everything|the pain|my life|this life) to (?:stop|end)"
        r"(?: forever| for good| permanently| now|$)",
        PASSIVE,
    ),
    (
        REGEX,
        r"(?:nobody|no one|noone) (?:would|will|is going to|would even|will even) (?:miss me|notice if i"
        r" (?:died|was gone|were gone|disappeared)|care if i (?:died|die|was gone|were gone|disappeared|was dead"
        r"|killed myself|lived or died))",
        PASSIVE,
    ),
    (REGEX, r"(?:go to sleep|sleep|fall asleep) (?:forever|for good|permanently)", PASSIVE),
    (
        REGEX,
        r"(?:want|wanna|wish i could|going to|gonna) (?:just )?disappear (?:forever|for good|and never come back"
        r"|permanently|from (?:this|the) world)",
        PASSIVE,
    ),
    (
        REGEX,
        r"if i (?:dont|never|do not) wake up(?: \w++){0,3} (?:thats |that is |it would be |it is |its )?"
        r"(?:fine|ok|okay|good|better|alright|a relief|wouldnt care|dont care|wouldnt mind)",
        PASSIVE,
    ),
    (
        REGEX,
        r"cant (?:go on|keep going|carry on|keep living|live) (?:like this|anymore|any more|any longer)",
        PASSIVE,
    ),
    (REGEX, r"(?:want|wanna|need) out of (?:this life|life|this world|existence|it all)", PASSIVE),
    (REGEX, r"(?:pointless|meaningless|hopeless|worthless|no point)(?: \w++){0,4} (?:i )?(?:just )?want out", PASSIVE),
    (
        REGEX,
        r"(?:cant|can not|cannot) (?:do this|go on|take it|take this|keep going|cope)(?: \w++){0,4}"
        r" (?:goodbye|bye|farewell)$",
        FAREWELL,
    ),
    (REGEX, r"wish (?:i|id|i had|i was|i were) (?:never been born|never born|not been born)", PASSIVE),
    (
        REGEX,
        r"(?:want|wanna|wish i could|just want|need) to (?:stop existing|not exist|cease to exist|not be alive"
        r"|stop living|stop being alive)",
        PASSIVE,
    ),
    (
        REGEX,
        r"(?:dont think|not sure|doubt) (?:i|ill|i will|im going to|im gonna) (?:make it|survive|last|get)"
        r" (?:through )?(?:tonight|the night|this night)",
        INTENT,
    ),
    (REGEX, r"end(?:ing)? everything(?! (?:with|between|on a)(?!\w))", ACTIVE),
    (REGEX, r"sorry for everything(?: \w++){0,4} (?:goodbye|bye|farewell|forgive me)", FAREWELL),
    (REGEX, r"ready to go(?: \w++){0,4} made (?:my )?peace", FAREWELL),
    (
        REGEX,
        r"(?:want|wanna|need) (?:it all|everything|my life|the pain|this life) to be over"
        r"|(?:done|tired of|sick of) fighting(?: \w++){0,3} (?:want|wanna|need) (?:it|this|everything) to"
        r" (?:be over|end|stop)",
        PASSIVE,
    ),
    (
        REGEX,
        r"(?:dont|do not|no longer|never) want to wake up(?: tomorrow| again| anymore| any more| ever again|$)",
        PASSIVE,
    ),
    (
        REGEX,
        r"(?:dont|do not|cant|cannot|no longer) see (?:the|any) (?:point|purpose|reason) (?:in |of )?(?:living"
        r"|being alive|going on|life|carrying on|staying alive)(?! (?:in|with|at|near|here|there|on|off|without"
        r"|like)(?!\w))",
        PASSIVE,
    ),
    (REGEX, r"this is the end (?:for me|of me|of the road for me)(?! (?:at|in|with|here|on)(?!\w))", FAREWELL),
    (REGEX, r"end(?:ing)? things(?: for good| forever| tonight| permanently|$)", ACTIVE),
    (
        REGEX,
        r"wish i (?:could (?:just )?(?:not exist|stop existing|cease to exist|disappear forever)|(?:didnt|did not)"
        r" exist)",
        PASSIVE,
    ),
    (
        REGEX,
        r"(?:saying|say|said) (?:my )?goodbyes? to (?:everyone|everybody|you all|all of you|the world)"
        r"(?! (?:at|before|after|for|in|on|from)(?!\w))",
        FAREWELL,
    ),
    (
        REGEX,
        r"(?:ill|i will|im going to|i am going to) be (?:gone|dead) (?:by|before) (?:morning|tomorrow|tonight"
        r"|the morning|the weekend|sunrise|then)(?! (?:for|on|to|because|with|as)(?!\w))",
        FAREWELL,
    ),
    (REGEX, r"(?:walk|walking|wade|wading) (?:out )?into the (?:sea|ocean|river|lake)", PLAN),
    # --- Method ------------------------------------------------------------------------------------------
    (
        REGEX,
        r"(?:how|best way|easiest way|quickest way|fastest way|painless way|least painful way|surest way)"
        r" (?:to|do i|do you|can i|could i|would i|should i) (?:kill myself|end my life|die|overdose|od"
        r"|hang myself|end it all|commit suicide|take my (?:own )?life)(?!\w)" + _NOT_HAIR,
        METHOD,
    ),
    (
        REGEX,
        r"(?:painless|quick|quickest|easy|easiest|fastest|best|surest|least painful) (?:way|method|ways|methods)"
        r" (?:to|of) (?:die|dying|kill myself|killing myself|suicide|end it)" + _NOT_HAIR,
        METHOD,
    ),
    (
        REGEX,
        r"how many (?:\w++ )?" + _DRUGS + r" (?:would it take|does it take|it would take|it takes|would kill|to die"
        r"|to overdose|to od|is a lethal|is lethal|would be lethal|is an overdose|to kill)",
        METHOD,
    ),
    (REGEX, r"(?:what|whats|how much) (?:is )?(?:a |the )?(?:lethal|fatal|deadly) (?:dose|amount)", METHOD),
    # --- Intent ------------------------------------------------------------------------------------------
    (
        REGEX,
        r"(?:going|gonna|want|wanna|ready|decided|planning|plan|time|made up my mind) to end it"
        r"(?: tonight| today| now| soon| this week| tomorrow|$)",
        INTENT,
    ),
    (
        REGEX,
        r"(?:ready|decided|planning|plan|prepared|made up my mind) to die(?! (?:on|for|laughing|of)(?!\w))"
        + _NOT_HAIR,
        INTENT,
    ),
    (REGEX, r"(?:my|this is my) last (?:day|night|week) (?:on earth|alive|on this earth)", INTENT),
    # --- Plan, means and preparation ---------------------------------------------------------------------
    (
        REGEX,
        r"(?:i have|ive got|i got|i have got|ive|i bought|got) (?:the|enough|all the|all my|a stash of"
        r"|a stockpile of|a bottle of|a bunch of) " + _DRUGS +
        r"(?: (?:ready|saved|saved up|stockpiled|lined up|here|in front of me|to do it|to end it|to die"
        r"|to overdose|to od|for tonight)|$)",
        PLAN,
    ),
    (
        REGEX,
        r"(?:saving|saved|stockpiling|stockpiled|hoarding|hoarded|stashing|stashed) (?:up )?"
        r"(?:my |all my |the |some )?" + _DRUGS,
        PLAN,
    ),
    (
        REGEX,
        r"(?:bought|buying|got|found) (?:a |the |some )?rope"
        r"(?! (?:ladder|swing|toy|bridge|course|lights?|for|to|and|swings)(?!\w))",
        PLAN,
    ),
    (REGEX, r"(?:tie|tied|tying|made|make|making|have|got|bought|hung) (?:a |the |my )?noose", PLAN),
    (REGEX, r"hang(?:ing|ed)? (?:my ?self|meself)", PLAN),
    (REGEX, r"shoot(?:ing)? (?:my ?self|meself)(?! in the (?:foot|feet|leg))", PLAN),
    (REGEX, r"(?:put|putting|hold|holding|held) (?:a |the |my )?gun (?:to|in) my (?:head|mouth)", PLAN),
    (
        REGEX,
        r"(?:jump|jumping|leap|leaping|throw myself|throwing myself) (?:off|from|out of) "
        r"(?:a |the |my |that |this |our )?(?:\w++ ){0,2}(?:bridge|building|roof|rooftop|cliff|balcony"
        r"|overpass|tower|window|ledge|car park|parking garage)",
        PLAN,
    ),
    (
        REGEX,
        r"(?:jump|jumping|leap|leaping|throw myself|throwing myself|step|stepping|walk|walking|lie down|lying down"
        r"|lay down) (?:in front of|under) (?:a |the )?(?:train|bus|truck|lorry|car|traffic|tube|subway)",
        PLAN,
    ),
    (REGEX, r"(?:slit|slitting|slash|slashing|cut|cutting|open|opening) (?:my|both my|open my) wrists?", PLAN),
    (
        REGEX,
        r"(?:drown|drowning|gas|gassing|poison|poisoning|suffocate|suffocating|strangle|strangling) (?:my ?self|meself)",
        PLAN,
    ),
    (
        REGEX,
        r"(?:crash|drive|driving|crashing|steer|steering) (?:my car |the car |my ?self )?(?:into|off) (?:a |the )?"
        r"(?:wall|tree|cliff|river|lake|barrier|oncoming)",
        PLAN,
    ),
    (REGEX, r"suicide (?:note|notes|letter|letters)", PLAN),
    (REGEX, r"(?:wrote|writing|write|written|left|leaving) (?:my |a )?(?:goodbye|farewell) (?:note|letter)s?", PLAN),
    (
        REGEX,
        r"(?:picked|chosen|chose|set|decided on) (?:a |the )?(?:date|day|time|place|spot) (?:to|when i|where i"
        r"|for when i) (?:die|do it|end it|kill myself|end my life)",
        PLAN,
    ),
    (
        REGEX,
        r"(?:gun|pistol|firearm|rifle|shotgun|knife|blade|razor)(?: \w++){0,8} (?:on|against|at) (?:my ?self|meself)",
        PLAN,
    ),
    (
        REGEX,
        r"(?:letters?|notes?|messages?|cards?) (?:\w++ ){0,4}(?:to say|saying) (?:goodbye|my goodbyes)",
        FAREWELL,
    ),
    (
        REGEX,
        r"(?:bottle of|all my|all the|enough|a stash of) (?:pills|tablets|meds|painkillers|sleeping pills)"
        r" and (?:a bottle of |some |the )?(?:vodka|whiskey|whisky|alcohol|booze|wine|gin|rum|tequila|liquor)",
        OVERDOSE,
    ),
    (
        REGEX,
        r"(?:razor|razors|razor blades|blades|blade|knife)(?: \w++){0,2} (?:to cut with|to cut myself"
        r"|for cutting myself|to hurt myself|to use on myself)",
        SELF_HARM,
    ),
    (
        REGEX,
        r"(?:burn|burning|burned|burnt) (?:my ?self|my arms?|my skin|my legs?) with (?:cigarettes?|a lighter"
        r"|lighters|a cigarette|matches|an iron|a hot)",
        SELF_HARM,
    ),
    (
        REGEX,
        r"(?:thinking about|thinking of|going to|gonna|want to|wanna|planning to|plan to|about to|tempted to|might)"
        r" (?:take|taking|swallow|swallowing) (?:a whole bunch of|a bunch of|a handful of|loads of|a lot of"
        r"|too many|all the|all of the|\d{2,}) (?:\w++ ){0,2}(?:pills|tablets|meds|painkillers)",
        OVERDOSE,
    ),
    (
        REGEX,
        r"(?:swallow|swallowing|take|taking|took|swallowed|down) (?:every|each) (?:last |single )?(?:pill|tablet)",
        OVERDOSE,
    ),
    (
        REGEX,
        r"rope(?: \w++){0,5} (?:i know where|know where|to hang|around my neck|for my neck|from the (?:ceiling|beam"
        r"|tree|rafters|banister))",
        PLAN,
    ),
    (
        REGEX,
        r"(?:sitting|standing|sat|stood|climbing|climbed|up) on (?:the |a |this )?(?:ledge|railing|parapet"
        r"|edge of (?:the |a |this )?(?:roof|rooftop|building|bridge|cliff|balcony|overpass))",
        PLAN,
    ),
    (REGEX, r"(?:note|letter|notes|letters) (?:for|to) (?:\w++ ){1,3}(?:and )?(?:im|i am) ready", FAREWELL),
    (REGEX, r"(?:picture|picturing|imagine|imagining|think about|thinking about|planning|plan) (?:my own|my) funeral", PASSIVE),
    (
        REGEX,
        r"(?:already|just) (?:taken|took|swallowed) (?:the|all the|all my|all of my|too many|a bunch of|a handful of)"
        r" (?:\w++ )?" + _DRUGS + r"(?! (?:the doctor|my doctor|for|with|today|this morning|on time|as prescribed)"
        r"(?!\w))",
        BEHAVIOUR,
    ),
    (
        REGEX,
        r"if i (?:dont|do not) make it(?! (?:to|in|on|back|home|through|there|out)(?!\w))(?: \w++){0,3}"
        r" (?:tell|please tell|let) (?:my|them|her|him|everyone)",
        FAREWELL,
    ),
    # --- Behaviour (an act under way) -------------------------------------------------------------------
    (
        REGEX,
        r"(?:took|taken|swallowed|downed) (?:\d{2,}|a handful of|a bunch of|a lot of|loads of|too many|way too many"
        r"|all of my|all my|all the|a whole bottle of|enough) (?:\w++ ){0,2}(?:pills|tablets|meds|painkillers)"
        r"(?! (?:today|this morning|tonight|on time|as prescribed|like|for the day|this week|with food)(?!\w))",
        BEHAVIOUR,
    ),
    # --- Self-harm ---------------------------------------------------------------------------------------
    (
        REGEX,
        r"cut(?:ting|s)? (?:my ?self|meself)(?! (?:shaving|off|on(?! purpose)|while|accidentally|by accident"
        r"|slightly|free|short|out|loose|chopping|cooking|slicing|opening|a|an|some)(?!\w))",
        SELF_HARM,
    ),
    (
        REGEX,
        r"(?:been|started|start|keep|kept|back to|relapsed|relapsed on|relapsed with|urge to|urges to|want to|wanna"
        r"|tempted to|cant stop|couldnt stop|feel like|feels like|feeling like|thinking about|thinking of) cutting"
        r"(?: again|$)",
        SELF_HARM,
    ),
    (
        REGEX,
        r"(?:urge|urges|want|wanna|need|tempted|craving|itching) (?:to )?(?:cut|self harm|selfharm)"
        r"(?! (?:back|down|out|off|the|my|it|a|an|up|costs|corners|ties|class|school|in|through|loose|free|carbs"
        r"|sugar|hair|grass|lawn|cake|bread|wood|paper|fabric|them|him|her|people|contact|this|that|some|and"
        r"|or|ties|to|for|from|with|into|open|short|along|across|around)(?!\w))",
        SELF_HARM,
    ),
    (
        REGEX,
        r"(?:i|im|ive|i have|been|started|start|keep|kept|back to|relapsed|relapsed on|relapsed with|urge to"
        r"|urges to|want to|wanna|going to|gonna|tempted to|thinking about|stop|cant stop|couldnt stop)"
        r" self ?harm(?:ing|ed)?(?! (?:awareness|prevention|training|research|support|group|services?"
        r"|resources?|workshop|module|talk|class|session|policy|statistics|in|among)(?!\w))",
        SELF_HARM,
    ),
    (
        REGEX,
        r"(?:want|wanted|wanna|going|gonna|need|needed|urge|urges|tempted|trying not|try not|thinking about"
        r"|thought about|planning|plan|deserve) (?:to )?(?:hurt|harm|hit|punish|burn|cut|hurting|harming|burning)"
        r" (?:my ?self|meself)",
        SELF_HARM,
    ),
    (
        REGEX,
        r"(?:been|keep|kept|started|start|stop|cant stop|couldnt stop) (?:hurting|harming|burning|punching|hitting"
        r"|scratching) (?:my ?self|meself)(?! (?:at|in|lifting|playing|running|working|training|by)(?!\w))",
        SELF_HARM,
    ),
    (
        REGEX,
        r"(?:hurt|harm|harmed|cut|burn|burned|burnt|hit|punched|scratched|bit|cutting|hurting|burning|harming)"
        r" (?:my ?self|meself) (?:on purpose|deliberately|intentionally)",
        SELF_HARM,
    ),
    (
        REGEX,
        r"(?:cut|cutting) (?:my|into my) (?:arms?|wrists?|thighs?|legs?|skin)"
        r"(?! (?:on|with|by|accidentally|while|shaving)(?!\w))",
        SELF_HARM,
    ),
    # --- Overdose intent ---------------------------------------------------------------------------------
    (
        REGEX,
        r"(?:want|wanted|wanna|going|gonna|plan|planning|ready|decided|tempted|thinking about|think about"
        r"|thought about|try|trying|tried|hope i|might|will|ill|about to) (?:to )?(?:just )?(?:take an |have an )?"
        r"(?:overdose|overdosing|od)"
        r"(?! (?:prevention|awareness|kits?|training|deaths?|rates?|statistics|crisis|response|reversal|risk"
        r"|naloxone|narcan|signs|symptoms|education)(?!\w))",
        OVERDOSE,
    ),
    (REGEX, r"(?:od|ods|oded|odd|overdose|overdosed|overdosing) on purpose", OVERDOSE),
    (
        REGEX,
        r"(?:take|taking|swallow|swallowing|down|downing|took|swallowed|downed) (?:all|every one|every last one"
        r"|the rest) (?:of )?(?:my |the |these |those )?(?:pills|tablets|meds|medication|medicine|sleeping pills"
        r"|painkillers|antidepressants|insulin)"
        r"(?! (?:today|this morning|on time|as prescribed|like|for the day|this week|with food)(?!\w))",
        OVERDOSE,
    ),
    (
        REGEX,
        r"(?:take|taking|swallow|swallowing|took|swallowed) (?:a |the |an |my )?(?:whole|entire|full)"
        r" (?:bottle|packet|pack|box|strip|blister pack|supply)(?: of (?:pills|tablets|meds|medication"
        r"|sleeping pills|painkillers|paracetamol|tylenol|acetaminophen|aspirin|ibuprofen|insulin|opioids|oxy"
        r"|xanax))?(?! of)",
        OVERDOSE,
    ),
    (
        REGEX,
        r"(?:use|using|drink|drinking|shoot up|keep using) (?:until|till|til) (?:i die|i dont wake up|i do not wake up"
        r"|i never wake up|i stop breathing|it kills me)",
        OVERDOSE,
    ),
    (REGEX, r"drink(?:ing)? (?:my ?self|meself) to death", OVERDOSE),
    (
        REGEX,
        r"(?:dont|do not|wouldnt|dont even) care (?:if|whether) i (?:od|overdose|die|live or die|dont wake up"
        r"|never wake up)(?!\w)" + _NOT_HAIR,
        OVERDOSE,
    ),
    # --- Farewells and settling affairs ------------------------------------------------------------------
    (
        REGEX,
        # "Goodbye to my twenties" is not a farewell; "goodbye to you all" is.
        r"this is (?:my )?goodbye(?! to (?!(?:you|you all|everyone|everybody|all of you|the world|this world|life"
        r"|my life|my friends|my family)(?!\w)))",
        FAREWELL,
    ),
    (REGEX, r"(?:goodbye|bye|farewell) (?:forever|for good|cruel world|world)", FAREWELL),
    (
        REGEX,
        r"(?:goodbye|farewell) (?:everyone|everybody|all|guys|friends|my friends|all of you|you all|yall)"
        r"(?!.{0,80}(?:see you|see ya|cya|tomorrow|next (?:week|time|month|meeting|session)|later|soon|after"
        r"|back|thursday|monday|tuesday|wednesday|friday|saturday|sunday|weekend|for now|holiday|vacation|trip"
        r"|this (?:week|weekend)|have a (?:good|great|nice|lovely)|great|lovely|fun|meeting|session|evening|class"
        r"|call|chat|good night|goodnight|take care))",
        FAREWELL,
    ),
    (
        REGEX,
        r"(?:wont|will not|am not going to|im not going to|not gonna) be (?:around|here|alive)"
        r" (?:much longer|for much longer|any longer|anymore|any more|by (?:tomorrow|the weekend|christmas)"
        r"|to see (?:it|christmas|my birthday|the new year|another))"
        r"(?! (?:after|from|when|once|because|at|on|in|next|this|as of|starting|until)(?!\w))",
        FAREWELL,
    ),
    (
        REGEX,
        r"(?:you|yall|you all|you guys|nobody|no one|anyone) (?:wont|will not|will never|wont ever|are not going to"
        r"|arent going to) (?:hear from|see|be hearing from|be seeing) me (?:again|anymore|any more|after"
        r" (?:today|tonight))",
        FAREWELL,
    ),
    (REGEX, r"last (?:time )?(?:youll|you will|anyone will) (?:ever )?(?:hear from|see) me", FAREWELL),
    (
        REGEX,
        r"(?:when|after|once) im (?:gone|dead|not here|not around|no longer here)"
        r"(?! (?:on|for|to|away|from|at|in|this|next|until|till|over)(?!\w))",
        FAREWELL,
    ),
    (
        REGEX,
        r"(?:giving|gave|give) away (?:all )?(?:of )?my (?:stuff|things|belongings|possessions|pets?|dog|cat"
        r"|everything)(?! (?:to charity|before|because)(?!\w))",
        FAREWELL,
    ),
    (REGEX, r"(?:my|a|one) (?:final|last) goodbye", FAREWELL),
    (
        REGEX,
        r"(?:this is|this will be|its) my (?:final|last) (?:message|post|goodbye|words)"
        r"(?! (?:before|for|of|on|in|until|till|today|tonight|here|about)(?!\w))",
        FAREWELL,
    ),
    (
        REGEX,
        r"by the time (?:you|anyone|someone|people) (?:read|reads|see|sees|find|finds) this"
        r"(?! (?:ill|i will|im|i am) (?:be )?(?:in|on|at|back|home|there|away|asleep|out|already|have)(?!\w))",
        FAREWELL,
    ),
    (REGEX, r"love you all (?:\w++ ){0,3}(?:goodbye|bye forever|forgive me)", FAREWELL),
    (REGEX, r"forgive me for what (?:im about to|i am about to|im going to|i am going to) do", FAREWELL),
    (
        REGEX,
        r"(?:wont|will not|no longer) be a burden (?:to (?:anyone|you|everyone|anybody|my family|them) )?"
        r"(?:anymore|any more|much longer|soon|for long)",
        FAREWELL,
    ),
]


def seed(apps, schema_editor):
    WatchedWord = apps.get_model("moderation", "WatchedWord")
    now = timezone.now()
    existing = set(WatchedWord.objects.values_list("kind", "pattern"))
    WatchedWord.objects.bulk_create(
        WatchedWord(kind=kind, pattern=pattern, action="crisis", label=label, created_at=now, updated_at=now)
        for kind, pattern, label in CRISIS_LIST
        if (kind, pattern) not in existing
    )


def unseed(apps, schema_editor):
    WatchedWord = apps.get_model("moderation", "WatchedWord")
    for kind, pattern, _label in CRISIS_LIST:
        WatchedWord.objects.filter(kind=kind, pattern=pattern, action="crisis", created_by=None).delete()


class Migration(migrations.Migration):
    dependencies = [("moderation", "0002_watched_words")]

    operations = [migrations.RunPython(seed, unseed)]
