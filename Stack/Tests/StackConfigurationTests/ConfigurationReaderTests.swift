@_spi(OpenInferenceInternal) import OpenInference
import Testing
import _OpenInferenceConfiguration

@Suite("One configuration reader")
struct ConfigurationReaderTests {
    @Test(
        "Booleans read the same through swift-configuration and through OpenInference's own reader",
        arguments: ["true", "TRUE", "Yes", "1", " true ", "false", "No", "0", "on", "off", "maybe", "", "2"]
    )
    func booleansAgree(value: String) {
        let environment = ["FLAG": value]
        let viaReader = Result { () throws(EnvironmentValueError) in try ConfigurationReader(environment).bool("FLAG") }
        let viaLibrary = Result { () throws(EnvironmentValueError) in try EnvironmentValue.bool("FLAG", in: environment) }
        #expect(viaReader == viaLibrary)
    }

    @Test("Positive whole numbers read the same through both readers", arguments: ["1", "4096", " 12 ", "0", "-3", "1.5", "many"])
    func numbersAgree(value: String) {
        let environment = ["COUNT": value]
        let viaReader = Result { () throws(EnvironmentValueError) in try ConfigurationReader(environment).positiveInt("COUNT") }
        let viaLibrary = Result { () throws(EnvironmentValueError) in try EnvironmentValue.positiveInt("COUNT", in: environment) }
        #expect(viaReader.map { $0 } == viaLibrary.map { $0 })
    }

    @Test("A value that does not parse names the variable and a valid example; a secret's value is not repeated")
    func errorsSayWhatToDo() throws {
        let reader = ConfigurationReader(["OPENAI_TIMEOUT": "soon", "OPENAI_BASE_URL": "localhost:8080"])
        #expect(throws: EnvironmentValueError(variable: "OPENAI_TIMEOUT", value: "soon", expected: "a positive number of seconds such as 30 or 2.5"))
        {
            try reader.seconds("OPENAI_TIMEOUT")
        }
        let url = #expect(throws: EnvironmentValueError.self) { try reader.url("OPENAI_BASE_URL", example: "http://localhost:8080/v1") }
        #expect(url?.description == "OPENAI_BASE_URL=localhost:8080 is not valid: use an http(s) URL such as http://localhost:8080/v1")
        #expect(reader.invalid("KEY", expected: "a key", isSecret: true).description == "KEY=<hidden> is not valid: use a key")
    }

    @Test("Unset and empty values are nil; strings are trimmed; durations, ratios and ranges are checked")
    func kinds() throws {
        let reader = ConfigurationReader(["EMPTY": "  ", "NAME": " api ", "WAIT": "250", "RATIO": "0.25", "PORT": "70000"])
        #expect(reader.string("EMPTY") == nil)
        #expect(reader.string("MISSING") == nil)
        #expect(reader.string("NAME") == "api")
        #expect(try reader.milliseconds("WAIT") == .milliseconds(250))
        #expect(try reader.ratio("RATIO") == 0.25)
        #expect(throws: EnvironmentValueError.self) { try reader.int("PORT", in: 0...65535, expected: "a port") }
    }
}
