"""Building blocks of the corpus scenarios (corpus/scenarios.py): turns with annotation tags, and
libraries of openings, identity checks and closings in many wordings.

A turn is a dict: s (agent|customer), t (text; {co} company, {ag} agent name, {cn} customer's
first name, {cf} customer's full name), tags, and optional timing:
  pause  seconds of silence after the turn (default: a natural 0.5-1.1 s gap)
  hold   seconds of an announced hold after the turn (silence the agent announced)
  cut    the turn starts this many seconds before the previous one ends (overlap)

Tags say what a human evaluator hears in the turn; corpus labels are derived from them
(scripts/make_corpus.py, rules in corpus/README.md):
  agent:    greeting name company disclosure verify access empathy hold_ask hold_announce
            hold_thanks further_help thanks rude readback distress_ok bc (a backchannel)
  customer: neg (problem stated with worry, frustration, sadness or anger) distress hardneg
            card (the customer dictates a card number)
"""


def _turn(speaker, text, tags, pause, hold, cut):
    return {"s": speaker, "t": text, "tags": tags.split(), "pause": pause, "hold": hold, "cut": cut}


def A(text, tags="", pause=None, hold=None, cut=None):
    return _turn("agent", text, tags, pause, hold, cut)


def C(text, tags="", pause=None, hold=None, cut=None):
    return _turn("customer", text, tags, pause, hold, cut)


# Openings: every element of a good opening, then agents who skip some. The tags are the
# elements a listener hears.
OPENINGS = {
    "full1": [A("Thank you for calling {co}, my name is {ag}. This call may be recorded for quality and training purposes. How can I help you today?", "greeting company name disclosure")],
    "full2": [A("Good morning, you've reached {co}, {ag} speaking. Just so you know, calls are recorded. What can I do for you?", "greeting company name disclosure")],
    "full3": [A("Hi there, welcome to {co}. I'm {ag}. Before we start, this conversation is being recorded for training. How can I help?", "greeting company name disclosure")],
    "full4": [A("Good afternoon, {co} customer service, this is {ag}. Please be aware that this call is monitored and recorded. How may I help?", "greeting company name disclosure")],
    "full5": [A("Hello, {ag} here from {co}. We record our calls to improve our service. What seems to be the problem?", "greeting company name disclosure")],
    "full6": [A("Thanks for calling {co}. Calls to this line are recorded for quality purposes. My name's {ag}, who am I speaking with?", "greeting company name disclosure")],
    "full7": [A("{co}, good evening, you're speaking with {ag}. Your call will be recorded for quality assurance. How can I help you?", "greeting company name disclosure")],
    "full8": [A("Hello, thank you for holding. You're through to {ag} at {co}. I need to let you know this call is recorded. How can I help today?", "greeting company name disclosure")],
    "full9": [A("Morning! {co}, {ag} here. This line is recorded. What can I do for you?", "greeting company name disclosure")],
    "full10": [A("Hi, you've reached {co} support. My name is {ag} and I'll be helping you today. Calls may be monitored or recorded. How can I help?", "greeting company name disclosure")],
    "full11": [A("Good afternoon and thanks for calling {co}. Everything on this call is recorded for training. I'm {ag}. What's the reason for your call?", "greeting company name disclosure")],
    "full12": [A("Hello and welcome to {co}, {ag} speaking. For quality purposes this call is being recorded. How can I help you?", "greeting company name disclosure")],
    # The disclosure as a turn of its own, after the caller has said why they call.
    "split1": [A("Hi, thanks for calling {co}, my name is {ag}. How can I help?", "greeting company name")],
    "split2": [A("Good morning, {co}, this is {ag}. How can I help you?", "greeting company name")],
    # Incomplete openings.
    "no_disclosure1": [A("Welcome to {co}, {ag} speaking, how can I help?", "greeting company name")],
    "no_disclosure2": [A("Good morning, my name is {ag} and you've called {co}. How can I help you today?", "greeting company name")],
    "no_name1": [A("Hello, {co}, how can I help? Just so you know, this call is recorded.", "greeting company disclosure")],
    "no_name2": [A("Thank you for calling {co}. This call may be recorded. How may I help you today?", "greeting company disclosure")],
    "no_company1": [A("Hi, this is {ag}. This call is recorded for quality purposes. How can I help you?", "greeting name disclosure")],
    "no_company2": [A("Good afternoon, my name is {ag}, calls are recorded, what can I do for you?", "greeting name disclosure")],
    "no_greeting1": [A("{co} billing. What's your account number?", "company")],
    "no_greeting2": [A("Yeah, go ahead.", "")],
    "no_greeting3": [A("Customer service, {ag} speaking. Calls are recorded. What's the issue?", "name disclosure")],
    "bare1": [A("Hello. What do you need?", "greeting")],
    "bare2": [A("Hi, how can I help?", "greeting")],
    "name_only": [A("Good morning, my name is {ag}, how can I help?", "greeting name")],
    "company_only": [A("Thank you for calling {co}. How may I help you today?", "greeting company")],
}

# The recording disclosure said as its own turn (after "split" openings).
DISCLOSURES = [
    "Before we go on, I should mention that this call is recorded for quality and training.",
    "Just to let you know, we record all our calls for training purposes.",
    "Quickly before we start, this call may be monitored or recorded.",
]

# Identity checks: the agent's question, the customer's answer, the agent's confirmation.
# Each takes the customer's details.
VERIFY = {
    "dob": lambda d: [
        A("Before I look at the account, can I take your full name and date of birth, please?", "verify"),
        C(f"Yes, it's {d['full']}, born on the {d['dob']}."),
        A("Thank you, that's all confirmed.")],
    "dob2": lambda d: [
        A("Could you confirm your name and date of birth for me?", "verify"),
        C(f"{d['full']}, {d['dob']}."),
        A("Lovely, thanks.")],
    "postcode": lambda d: [
        A("For security, what's the postcode on the account?", "verify"),
        C(f"It's {d['postcode']}."),
        A("Perfect, thank you.")],
    "postcode2": lambda d: [
        A("I just need to check it's you. Could you give me your postcode and the first line of your address?", "verify"),
        C(f"Sure, it's {d['address']}, {d['postcode']}."),
        A("Thank you, you're through security.")],
    "word": lambda d: [
        A("Can you tell me the security word on your account?", "verify"),
        C(f"It's {d['word']}."),
        A("That's correct, thanks.")],
    "word2": lambda d: [
        A("Okay, first I need you to pass security. What's your memorable word?", "verify"),
        C(f"Hmm, I think it's {d['word']}."),
        A("Yes, that's right.")],
    "last4": lambda d: [
        A("To verify you, could you give me the last four digits of the card linked to the account?", "verify"),
        C(f"Yes, {d['last4']}."),
        A("Thank you, that matches.")],
    "last4b": lambda d: [
        A("Can I ask you to confirm the last four numbers of your bank account, for security?", "verify"),
        C(f"It ends {d['last4']}."),
        A("Great, thank you.")],
    "pin": lambda d: [
        A("Please tell me your four digit telephone PIN.", "verify"),
        C(f"It's {d['pin']}."),
        A("Great, you're verified.")],
    "pin2": lambda d: [
        A("Could you tell me the PIN you set up for phone banking?", "verify"),
        C(f"Sure, {d['pin']}."),
        A("Thanks, that's fine.")],
    "acct_addr": lambda d: [
        A("Can I have your account number and the first line of your address?", "verify"),
        C(f"The account number is {d['acct']}, and I live at {d['address']}."),
        A("Thank you.")],
    "phone": lambda d: [
        A("Can you confirm the mobile number registered on the account?", "verify"),
        C(f"It's {d['phone']}."),
        A("Thanks, that's the one.")],
    "email": lambda d: [
        A("What's the email address we have on file for you?", "verify"),
        C(f"It's {d['email']}."),
        A("Lovely, thank you.")],
    "otp": lambda d: [
        A("I've just sent a six digit code to your phone. Could you read it out to me?", "verify"),
        C(f"Yes, it's {d['otp']}."),
        A("That's right, you're verified.")],
    "secq": lambda d: [
        A("What's the answer to your security question, the name of your first school?", "verify"),
        C(f"{d['school']}."),
        A("Thank you, that's correct.")],
    "dob_post": lambda d: [
        A("I'll need to verify you first. What's your date of birth and postcode?", "verify"),
        C(f"The {d['dob']}, and {d['postcode']}."),
        A("Thank you, all good.")],
}

# Closings: the offer of further help, the customer's answer, the agent's thanks - and agents
# who skip one or both. A farewell alone ("bye", "have a good day") is not thanking.
CLOSINGS = {
    "k1": [A("Is there anything else I can help you with today?", "further_help"),
           C("No, that's everything, thanks."),
           A("Thank you for calling {co}. Have a great day.", "thanks")],
    "k2": [A("Anything else I can do for you?", "further_help"),
           C("No, that's all."),
           A("Thanks for calling, take care.", "thanks")],
    "k3": [A("Is there something else I can help with while I have you?", "further_help"),
           C("Nope, that's it."),
           A("Great. Thank you for your time, and have a lovely evening.", "thanks")],
    "k4": [A("Can I help with anything else today?", "further_help"),
           C("No thank you."),
           A("Okay, thanks for being with {co}. Bye now.", "thanks")],
    "k5": [A("Is there anything more I can look into for you?", "further_help"),
           C("No, that's all, thank you."),
           A("You're welcome. Thank you for choosing {co}. Goodbye.", "thanks")],
    "k6": [A("Was there anything else you needed today?", "further_help"),
           C("No, you've been very helpful."),
           A("Glad I could help. Thanks so much for calling, {cn}.", "thanks")],
    "k7": [A("Before you go, is there anything else on your mind?", "further_help"),
           C("No, I'm fine."),
           A("Thanks for your patience today, and enjoy the rest of your day.", "thanks")],
    "k8": [A("Is there anything else at all?", "further_help"),
           C("No."),
           A("Thank you. Goodbye.", "thanks")],
    "k9": [A("Can I do anything else for you today, {cn}?", "further_help"),
           C("No, that's great."),
           A("Brilliant. Thanks for getting in touch, and take care.", "thanks")],
    # Missing the offer of further help.
    "no_help1": [A("Alright, that's done. Thank you for calling {co}, goodbye.", "thanks"),
                 C("Bye.")],
    "no_help2": [A("So that's sorted now. Thanks for calling.", "thanks"),
                 C("Okay, thanks, bye.")],
    # Missing the thanks.
    "no_thanks1": [A("Anything else?", "further_help"),
                   C("No."),
                   A("Okay, bye.")],
    "no_thanks2": [A("Is there anything else I can help you with?", "further_help"),
                   C("No, that's it."),
                   A("Alright, have a good day.")],
    "no_thanks3": [A("Do you need help with anything else?", "further_help"),
                   C("No, that's all."),
                   A("Okay. Goodbye then.")],
    # Missing both.
    "none1": [A("Okay. Bye."),
              C("Bye.")],
    "none2": [A("That's it then."),
              C("Right. Bye.")],
}


def customer(first, last, dob, postcode, address, word, last4, pin, acct, phone, email, otp, school):
    return {"first": first, "full": f"{first} {last}", "dob": dob, "postcode": postcode,
            "address": address, "word": word, "last4": last4, "pin": pin, "acct": acct,
            "phone": phone, "email": email, "otp": otp, "school": school}
