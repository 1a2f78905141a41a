package io.mailplane.testing;

import io.mailplane.common.MailplaneConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The real {@link MailplaneConfig} mapping (its defaults included), built without the
 * application, for unit tests of classes that take settings. {@code values} overrides settings by
 * their property names.
 */
public final class Settings {
    private Settings() {
    }

    public static MailplaneConfig of(Map<String, String> values) {
        Map<String, String> all = new HashMap<>();
        // The two settings whose defaults live in application.properties (older variable names).
        all.put("mailplane.master.account-override", "false");
        all.put("mailplane.auth.bcrypt-cost", "4");
        all.putAll(values);
        return new SmallRyeConfigBuilder()
                .withMapping(MailplaneConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withDefaultValues(all)
                .build()
                .getConfigMapping(MailplaneConfig.class);
    }
}
