package io.mailplane.secondary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mailplane.secondary.SecondaryDtos.CreateSecondary;
import io.mailplane.secondary.SecondaryDtos.UpdateSecondary;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link CreateSecondary} and {@link UpdateSecondary} carry the same properties (records cannot
 * share components, and unwrapping a shared one would change the JSON's schema): each must be
 * declared, validated and documented alike in both, so the copies cannot drift apart.
 */
class SecondaryDtosTest {

    @Test
    void anUpdateDeclaresEveryPropertyOfACreationButTheAddressExactlyAlike() throws Exception {
        Map<String, String> create = declarations(CreateSecondary.class);
        create.remove("primaryAddress");
        assertEquals(create, declarations(UpdateSecondary.class));
    }

    /** Each component: its field's annotations (constraints, schema) and its type with the type-use ones. */
    private static Map<String, String> declarations(Class<? extends Record> type) throws NoSuchFieldException {
        Map<String, String> declared = new LinkedHashMap<>();
        for (RecordComponent c : type.getRecordComponents()) {
            declared.put(c.getName(), Arrays.toString(type.getDeclaredField(c.getName()).getDeclaredAnnotations())
                    + " " + c.getAnnotatedType());
        }
        return declared;
    }
}
